# Recomputes the test vectors of docs/FORMAT.md ("Encrypted stream") with an independent implementation
# (Python 3, the `cryptography` package, hashlib.scrypt). Not part of the build: run by hand, compare by eye.
import hashlib, hmac, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes

def hkdf(master, salt, info, n):
    return HKDF(algorithm=hashes.SHA256(), length=n, salt=salt, info=info).derive(master)

def encrypt(master, salt, prefix, chunk_log2, plaintext, source=1, scrypt=(0,0,0)):
    check = hkdf(master, salt, b"soniabk-enc-v1 key check", 16)
    data_key = hkdf(master, salt, b"soniabk-enc-v1 data key", 32)
    mac_key = hkdf(master, salt, b"soniabk-enc-v1 content mac", 32)
    header = b"SONIAENC" + bytes([1, 1, source, chunk_log2, *scrypt, 0]) + salt + prefix + check
    assert len(header) == 72
    size = 1 << chunk_log2
    chunks = [plaintext[i:i+size] for i in range(0, len(plaintext), size)] or [b""]
    out = header
    g = AESGCM(data_key)
    for i, c in enumerate(chunks):
        last = i == len(chunks) - 1
        nonce = prefix + i.to_bytes(4, "big")
        out += g.encrypt(nonce, c, header + bytes([1 if last else 0]))
    mac = hmac.new(mac_key, plaintext, hashlib.sha256).hexdigest()
    return out, mac

key = bytes(range(32))
salt = bytes(range(0xa0, 0xc0))
prefix = bytes(range(0xc0, 0xc8))
pt = b"soniabk encrypts backups in chunks.\n"
out, mac = encrypt(key, salt, prefix, 4, pt)
print("vector1 plaintext", pt, len(pt))
print("vector1", len(out), out.hex())
print("vector1 mac", mac)
pw = b"correct horse battery staple"
master = hashlib.scrypt(pw, salt=salt, n=1 << 10, r=8, p=1, maxmem=1 << 26, dklen=32)
print("vector2 master", master.hex())
out2, mac2 = encrypt(master, salt, prefix, 20, b"", source=2, scrypt=(10, 8, 1))
print("vector2", len(out2), out2.hex())
print("vector2 mac", mac2)
