package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.FakeKeyService;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import dev.osscse.provider.DataKey;
import dev.osscse.provider.KeyService;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KmsKeyReference;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key choice in the library: several candidate keys tried in a fixed order with one unwrap per
 * object read, the uniform error when none fits, and the key-less mode for plaintext objects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyChoiceTest {
  static final String B = LocalOssFixture.BUCKET;
  static final String KEY_ID = "3f1c2a9e-7b44-4d0e-9a51-2c6e8f0b7d13";

  @TempDir static Path dir;
  LocalOssFixture fixture;

  @BeforeAll
  void start() {
    fixture = new LocalOssFixture(dir.resolve("store"));
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  /** A KMS key service that counts its Decrypt calls: a counting master key. */
  static final class CountingKeyService implements KeyService {
    final FakeKeyService delegate = new FakeKeyService().addKey(KEY_ID);
    final AtomicInteger decrypts = new AtomicInteger();

    @Override
    public String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
        throws KeyServiceException {
      return delegate.encrypt(keyId, plaintextBase64, context);
    }

    @Override
    public String decrypt(String ciphertextBlob, Map<String, String> context)
        throws KeyServiceException {
      decrypts.incrementAndGet();
      return delegate.decrypt(ciphertextBlob, context);
    }

    @Override
    public Decryption decryptWithKeyId(String ciphertextBlob, Map<String, String> context)
        throws KeyServiceException {
      decrypts.incrementAndGet();
      return delegate.decryptWithKeyId(ciphertextBlob, context);
    }

    @Override
    public DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
        throws KeyServiceException {
      return delegate.generateDataKey(keyId, numberOfBytes, context);
    }
  }

  static MasterKey kms(KeyService s, Map<String, String> description) {
    return MasterKey.kms(KmsKeyReference.of(s, KEY_ID), description);
  }

  static byte[] data(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void threeCandidateKeys_readUnwrapsOncePerObject_withOneGet() throws Exception {
    CountingKeyService wrong1 = new CountingKeyService();
    CountingKeyService wrong2 = new CountingKeyService();
    CountingKeyService right = new CountingKeyService();
    OssCseClient writer =
        OssCseClient.builder(fixture.client()).encryptWith(kms(right, Map.of())).build();
    int objects = 3;
    for (int i = 0; i < objects; i++) {
      writer.putObject(B, "three/" + i, new ByteArrayInputStream(data(1000 + i)), null);
    }
    right.decrypts.set(0);
    OssCseClient reader =
        OssCseClient.builder(fixture.client())
            .decryptWith(
                MasterKeyRing.builder()
                    .add(kms(wrong1, Map.of()))
                    .add(kms(wrong2, Map.of()))
                    .add(kms(right, Map.of()))
                    .tryEveryKey()
                    .build())
            .build();
    long requestsBefore = fixture.server().requestCount();
    for (int i = 0; i < objects; i++) {
      try (UnauthenticatedObjectStream in = reader.getObject(B, "three/" + i)) {
        assertThat(in.readAllBytes()).isEqualTo(data(1000 + i));
      }
    }
    // One open per object: the key and the IV, one Decrypt each, with the key that fits.
    assertThat(right.decrypts.get()).isEqualTo(2 * objects);
    // The wrong keys were each tried once per object (the key first; the IV call may or may not
    // have started before the key's failure was seen).
    assertThat(wrong1.decrypts.get()).isBetween(objects, 2 * objects);
    assertThat(wrong2.decrypts.get()).isBetween(objects, 2 * objects);
    assertThat(fixture.server().requestCount() - requestsBefore).as("GETs").isEqualTo(objects);
  }

  @Test
  void candidates_descriptionMatchesFirst_thenDefault_thenTheRestInOrder() throws Exception {
    FakeKeyService s = new FakeKeyService().addKey(KEY_ID);
    MasterKey a = kms(s, Map.of("gen", "1"));
    MasterKey b = kms(s, Map.of("gen", "2"));
    MasterKey c = kms(s, Map.of("gen", "3"));
    MasterKey d = kms(s, Map.of("gen", "4"));
    MasterKey rsa = MasterKey.rsa(TestKeys.rsa(), Map.of("gen", "2"));
    Envelope env =
        Envelope.builder(new byte[] {1}, new byte[] {2}, WrapAlgorithm.KMS_ALICLOUD)
            .matDesc(Map.of("gen", "2"))
            .build();
    MasterKeyRing trial =
        MasterKeyRing.builder().add(a).add(rsa).add(b).add(c).defaultKey(d).tryEveryKey().build();
    assertThat(trial.candidates(env)).containsExactly(b, d, a, c);
    MasterKeyRing selection = MasterKeyRing.builder().add(a).add(b).defaultKey(d).build();
    assertThat(selection.candidates(env)).containsExactly(b);
    assertThat(MasterKeyRing.of(a, c).triesEveryKey()).isFalse();
    assertThatThrownBy(() -> MasterKeyRing.of(a, c).candidates(env))
        .isInstanceOf(NoMatchingMasterKeyException.class);
    assertThatThrownBy(() -> MasterKeyRing.none().candidates(env))
        .isInstanceOf(NoMatchingMasterKeyException.class)
        .satisfies(
            e ->
                assertThat(((NoMatchingMasterKeyException) e).wrapAlgorithm())
                    .isEqualTo(WrapAlgorithm.KMS_ALICLOUD));
  }

  @Test
  void everyCandidateWrong_failsWithTheUniformUnwrapError() throws Exception {
    OssCseClient writer =
        OssCseClient.builder(fixture.client())
            .encryptWith(MasterKey.rsa(TestKeys.rsa(), Map.of()))
            .build();
    writer.putObject(B, "wrong/1", new ByteArrayInputStream(data(100)), null);
    MasterKey other = MasterKey.rsa(TestKeys.otherRsa(), Map.of());
    CountingKeyService kms = new CountingKeyService();
    Throwable single =
        catchFrom(
            OssCseClient.builder(fixture.client()).decryptWith(MasterKeyRing.of(other)).build());
    Throwable three =
        catchFrom(
            OssCseClient.builder(fixture.client())
                .decryptWith(
                    MasterKeyRing.builder()
                        .add(other)
                        .add(kms(kms, Map.of()))
                        .add(
                            MasterKey.rsa(null, TestKeys.otherRsa().getPrivate(), Map.of("x", "y")))
                        .tryEveryKey()
                        .build())
                .build());
    assertThat(single).isInstanceOf(InvalidKeyException.class);
    assertThat(three).isExactlyInstanceOf(single.getClass()).hasMessage(single.getMessage());
    assertThat(three.getCause()).isNull();
    assertThat(kms.decrypts.get()).as("a KMS key is not tried for an RSA object").isZero();
  }

  private static Throwable catchFrom(OssCseClient reader) {
    try (UnauthenticatedObjectStream in = reader.getObject(B, "wrong/1")) {
      in.readAllBytes();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  @Test
  void plaintextObject_isReadOnlyInTheKeylessMode() throws Exception {
    byte[] plain = "stored in plaintext".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    fixture.client().putObject(B, "plain/1", new ByteArrayInputStream(plain));
    OssCseClient keyless =
        OssCseClient.builder(fixture.client())
            .decryptWith(MasterKeyRing.none())
            .allowPlaintextObjects(true)
            .build();
    try (UnauthenticatedObjectStream in = keyless.getObject(B, "plain/1")) {
      assertThat(in.readAllBytes()).isEqualTo(plain);
    }
    // Without the mode, the same object is refused, with or without keys.
    for (MasterKeyRing ring :
        List.of(MasterKeyRing.none(), MasterKeyRing.of(MasterKey.rsa(TestKeys.rsa(), Map.of())))) {
      OssCseClient strict = OssCseClient.builder(fixture.client()).decryptWith(ring).build();
      assertThatThrownBy(() -> strict.getObject(B, "plain/1"))
          .isInstanceOf(UnencryptedObjectException.class);
    }
    // The key-less reader refuses an encrypted object, naming its wrap algorithm.
    OssCseClient.builder(fixture.client())
        .encryptWith(MasterKey.rsa(TestKeys.rsa(), Map.of()))
        .build()
        .putObject(B, "plain/enc", new ByteArrayInputStream(plain), null);
    assertThatThrownBy(() -> keyless.getObject(B, "plain/enc"))
        .isInstanceOf(NoMatchingMasterKeyException.class)
        .satisfies(
            e ->
                assertThat(((NoMatchingMasterKeyException) e).wrapAlgorithm().kind())
                    .isEqualTo(WrapAlgorithm.Kind.RSA));
  }
}
