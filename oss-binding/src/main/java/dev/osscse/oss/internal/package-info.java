/**
 * Internals of the OSS binding: metadata key names ({@link dev.osscse.oss.internal.MetadataKeys}),
 * base64 and matdesc JSON codecs, range arithmetic ({@link dev.osscse.oss.internal.RangePlan}) and
 * the streaming ciphers. Public for use inside the module only; no compatibility promise.
 */
package dev.osscse.oss.internal;
