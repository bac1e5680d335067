/**
 * RSA keys in PEM: {@link dev.osscse.keys.PemKeys} reads PKCS#1, PKCS#8 and X.509 keys and writes
 * PKCS#8 and X.509; {@link dev.osscse.keys.PemKeyException} is its one checked exception. The JCA
 * provider ({@code dev.osscse.provider}) does not depend on this module.
 */
package dev.osscse.keys;
