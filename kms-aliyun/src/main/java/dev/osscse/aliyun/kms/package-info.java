/**
 * Alibaba Cloud KMS adapter: {@link dev.osscse.aliyun.kms.AliyunKmsKeyService}, the only code in
 * the project that imports {@code aliyun-java-sdk-kms} and {@code aliyun-java-sdk-core}.
 */
package dev.osscse.aliyun.kms;
