/**
 * Benchmarks of whole-object transfers through the OSS SDK against the local OSS endpoint ({@code
 * dev.osscse.local.oss.LocalOssServer} on 127.0.0.1): plaintext, the official {@code
 * OSSEncryptionClient}, and the oss-cse binding.
 */
package dev.osscse.bench.oss;
