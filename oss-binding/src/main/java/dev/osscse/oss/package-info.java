/**
 * Client-side encryption for Alibaba Cloud OSS in the official SDKs' format (docs/format.md,
 * docs/binding.md), over any storage adapter.
 *
 * <p>Entry point: {@link dev.osscse.oss.EncryptedStore} (encrypting put, decrypting whole or ranged
 * get, verified download, seekable channel, multipart, rewrap) over a {@link
 * dev.osscse.oss.spi.ObjectStore}; {@code dev.osscse.oss.aliyun.OssCseClient} is its face over
 * {@code aliyun-sdk-oss} 3.x. Building blocks: {@link dev.osscse.oss.Envelope}, {@link
 * dev.osscse.oss.EnvelopeCodec}, {@link dev.osscse.oss.EnvelopeCrypto}, {@link
 * dev.osscse.oss.ContentKey}, {@link dev.osscse.oss.MasterKey}, {@link
 * dev.osscse.oss.MasterKeyRing}, {@link dev.osscse.oss.ByteRange}. The content is AES-CTR without
 * integrity: reads are {@link dev.osscse.oss.UnauthenticatedObjectStream}s. No SDK type appears in
 * this package.
 */
package dev.osscse.oss;
