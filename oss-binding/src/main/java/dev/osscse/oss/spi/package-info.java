/**
 * The storage SPI of the OSS binding: {@link dev.osscse.oss.spi.ObjectStore}, the contract between
 * the SDK-free encryption core (envelope, key ring, read and write pipelines, retry policy) and an
 * object-storage client. Storage adapters implement it: {@code dev.osscse.oss.aliyun} over {@code
 * aliyun-sdk-oss} 3.x, and the OSS SDK V2 adapter in its own module; a Hadoop {@code FileSystem}
 * uses the core through it. No SDK type appears here.
 */
package dev.osscse.oss.spi;
