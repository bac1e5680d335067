/**
 * Client-side encryption for Alibaba Cloud OSS over the real {@code aliyun-sdk-oss} client, in the
 * official SDKs' format (docs/format.md, docs/binding.md).
 *
 * <p>Entry point: {@link dev.osscse.oss.OssCseClient} (encrypting put, decrypting whole or ranged
 * get, verified download, {@link dev.osscse.oss.OssCseClient#asOss()} as a drop-in {@code OSS}).
 * Building blocks: {@link dev.osscse.oss.Envelope}, {@link dev.osscse.oss.EnvelopeCodec}, {@link
 * dev.osscse.oss.EnvelopeCrypto}, {@link dev.osscse.oss.ContentKey}, {@link
 * dev.osscse.oss.MasterKey}, {@link dev.osscse.oss.MasterKeyRing}, {@link
 * dev.osscse.oss.ByteRange}. The content is AES-CTR without integrity: reads are {@link
 * dev.osscse.oss.UnauthenticatedObjectStream}s.
 */
package dev.osscse.oss;
