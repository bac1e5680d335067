#!/usr/bin/env python3
"""Writes vectors.json: authenticated-object vectors (docs/format.md FMT-27..FMT-29).

Independent of the Java code: uses the `cryptography` package (OpenSSL) for HKDF-SHA256 and
AES-CTR, and Python's hmac/hashlib for HMAC-SHA256. Run: python3 generate.py
"""
import hashlib, hmac, json, struct
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

C = 1 << 20
CEK = bytes.fromhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
IV = bytes.fromhex("f0e1d2c3b4a5968700000000deadbeef")
BUCKET = "vectors-bucket"
EPOCH = 1764892800000  # 2025-12-05T00:00:00Z


def hkdf(info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=IV, info=info).derive(CEK)


def plaintext(length):
    # byte i = (31 * i + 7) mod 256
    return bytes(((31 * i + 7) & 0xFF) for i in range(length))


def ctr(data):
    e = Cipher(algorithms.AES(CEK), modes.CTR(IV)).encryptor()
    return e.update(data) + e.finalize()


def case(key, length):
    k_chunk, k_root = hkdf(b"oss-cse/auth/v1/chunk"), hkdf(b"oss-cse/auth/v1/root")
    ct = ctr(plaintext(length))
    n = (length + C - 1) // C
    tags = [hmac.new(k_chunk, struct.pack(">Q", i) + ct[i * C:(i + 1) * C], hashlib.sha256).digest()[:16]
            for i in range(n)]
    body = b"OSSCSEA1" + struct.pack(">IQQI", C, length, EPOCH, n) + b"".join(tags)
    b, k = BUCKET.encode(), key.encode()
    msg = b"oss-cse/auth/v1/root" + struct.pack(">I", len(b)) + b + struct.pack(">I", len(k)) + k + body
    root = hmac.new(k_root, msg, hashlib.sha256).digest()
    return {
        "bucket": BUCKET, "key": key, "companionKey": ".oss-cse-auth/" + key, "length": length,
        "epochMillis": EPOCH, "ciphertextSha256": hashlib.sha256(ct).hexdigest(),
        "tags": [t.hex() for t in tags], "root": root.hex(), "record": (body + root).hex(),
    }


def main():
    out = {
        "about": "FMT-27..FMT-29 vectors; plaintext byte i = (31*i + 7) mod 256, encrypted per FMT-5",
        "cek": CEK.hex(), "iv": IV.hex(),
        "kChunk": hkdf(b"oss-cse/auth/v1/chunk").hex(), "kRoot": hkdf(b"oss-cse/auth/v1/root").hex(),
        "cases": [case("empty.bin", 0), case("small/100.bin", 100),
                  case("three-chunks.bin", 2 * C + 10), case("exact/one-chunk.bin", C)],
    }
    with open("vectors.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


main()
