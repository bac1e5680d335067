/**
 * Client-side encryption for code that holds an Alibaba OSS Java SDK V2 client ({@code
 * com.aliyun:alibabacloud-oss-v2}, packages {@code com.aliyun.sdk.service.oss2}): {@link
 * dev.osscse.oss.v2.OssV2ObjectStore}, the V2 client behind the binding's storage port.
 */
package dev.osscse.oss.v2;
