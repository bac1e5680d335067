/**
 * Authenticated objects (docs/format.md FMT-26..FMT-31; design in docs/authenticated-objects.md):
 * the key derivation, the per-chunk HMAC tags, the authentication record and its root, and the
 * tagging and verifying streams the write and read pipelines wrap around ciphertext.
 *
 * <p>JDK only: no OSS SDK type and no storage port appears here, so another implementation can be
 * checked against these classes and the test vectors alone.
 */
package dev.osscse.oss.internal.auth;
