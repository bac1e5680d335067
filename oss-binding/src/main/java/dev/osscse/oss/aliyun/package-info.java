/**
 * The {@code aliyun-sdk-oss} 3.x face of the binding, and the only package of it that imports the
 * SDK: {@link dev.osscse.oss.aliyun.OssCseClient}, its drop-in {@code OSS} view {@link
 * dev.osscse.oss.aliyun.EncryptingOss}, and {@link dev.osscse.oss.aliyun.AliyunObjectStore}, the
 * adapter behind the storage port.
 */
package dev.osscse.oss.aliyun;
