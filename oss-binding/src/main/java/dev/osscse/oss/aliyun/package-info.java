/**
 * The {@code aliyun-sdk-oss} adapter behind the binding's storage port ({@link
 * dev.osscse.oss.spi.ObjectStore}): {@link dev.osscse.oss.aliyun.AliyunObjectStore}.
 */
package dev.osscse.oss.aliyun;
