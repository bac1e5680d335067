package dev.osscse.provider;

/**
 * Counters of one {@link KmsKeyReference}: cache hits and misses of unwraps, and every call made to
 * its {@link KeyService} (encrypt, decrypt, generate data key), including failed calls.
 *
 * @param hits unwraps or decrypts answered from the cache
 * @param misses unwraps or decrypts that were not in the cache (each costs one KMS call)
 * @param kmsCalls calls made to the key service
 * @param entries entries in the cache now
 */
public record KmsCacheStats(long hits, long misses, long kmsCalls, int entries) {}
