/**
 * The {@code aliyun-sdk-oss} 3.x face of the binding, and the only package of it that imports the
 * SDK: {@link dev.osscse.oss.aliyun.OssCseClient} (the V1 client over {@link
 * dev.osscse.oss.EncryptedStore}), {@link dev.osscse.oss.aliyun.EncryptingOss} (its drop-in {@code
 * OSS} view), {@link dev.osscse.oss.aliyun.EncryptionRefusedException} and {@link
 * dev.osscse.oss.aliyun.AliyunObjectStore}, the adapter behind the storage port ({@link
 * dev.osscse.oss.spi.ObjectStore}).
 */
package dev.osscse.oss.aliyun;
