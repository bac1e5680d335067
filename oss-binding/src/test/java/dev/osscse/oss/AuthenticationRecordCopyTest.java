package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.auth.AuthRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link EncryptedStore#copyAuthenticationRecord}: the record of an authenticated object, verified
 * and re-rooted to another key (FMT-29), makes a server-side copy of the object authenticate; a
 * source that does not verify gets no record copied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationRecordCopyTest extends AuthenticatedTestBase {
  AuthenticationRecordCopyTest() {
    super("auth-copy");
  }

  byte[] stored(String key) throws IOException {
    try (OSSObject o = oss.client().getObject(B, key);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  byte[] strictRead(String key) throws Exception {
    try (UnauthenticatedObjectStream in = strict.getObject(B, key, null)) {
      return in.readAllBytes();
    }
  }

  void copy(String from, String to, String etag) {
    CopyObjectRequest req = new CopyObjectRequest(B, from, B, to);
    req.setMatchingETagConstraints(List.of(etag));
    oss.client().copyObject(req);
  }

  @Test
  void copiedRecordAuthenticatesAServerSideCopyUnderTheNewKey() throws Exception {
    for (int size : new int[] {0, 100, C, 2 * C + 7}) {
      String src = "copy/src-" + size;
      String dst = "copy/moved/dst-" + size;
      byte[] plain = data(size, size);
      writer.putObject(B, src, plain, null);

      String etag = writer.core().copyAuthenticationRecord(B, src, B, dst);
      copy(src, dst, etag);

      assertThat(strictRead(dst)).as("size %d", size).isEqualTo(plain);
      assertThat(strictRead(src)).isEqualTo(plain);
      assertThat(stored(AuthRecord.companionKey(dst)))
          .hasSameSizeAs(stored(AuthRecord.companionKey(src)))
          .isNotEqualTo(stored(AuthRecord.companionKey(src)));
    }
  }

  @Test
  void serverSideCopyWithoutCopiedRecord_isRefused() throws Exception {
    writer.putObject(B, "copy/plain-copy-src", data(2000, 1), null);
    oss.client().copyObject(B, "copy/plain-copy-src", B, "copy/plain-copy-dst");
    assertThatThrownBy(() -> strictRead("copy/plain-copy-dst"))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("no authentication record");
  }

  @Test
  void tamperedSourceRecord_isNotCopied() throws Exception {
    String src = "copy/tampered";
    writer.putObject(B, src, data(C + 10, 2), null);
    byte[] bad = stored(AuthRecord.companionKey(src));
    bad[40] ^= 0x01; // a chunk tag
    ObjectMetadata md = new ObjectMetadata();
    md.setContentLength(bad.length);
    oss.client().putObject(B, AuthRecord.companionKey(src), new ByteArrayInputStream(bad), md);

    assertThatThrownBy(() -> writer.core().copyAuthenticationRecord(B, src, B, "copy/tampered-2"))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("not copied")
        .hasMessageContaining("does not verify");
    assertThat(oss.client().doesObjectExist(B, AuthRecord.companionKey("copy/tampered-2")))
        .isFalse();
  }

  @Test
  void recordOfAnotherObjectPlantedAsTheSourceRecord_isNotCopied() throws Exception {
    writer.putObject(B, "copy/victim", data(3000, 3), null);
    writer.putObject(B, "copy/other", data(3000, 4), null);
    byte[] other = stored(AuthRecord.companionKey("copy/other"));
    ObjectMetadata md = new ObjectMetadata();
    md.setContentLength(other.length);
    oss.client()
        .putObject(B, AuthRecord.companionKey("copy/victim"), new ByteArrayInputStream(other), md);

    assertThatThrownBy(() -> writer.core().copyAuthenticationRecord(B, "copy/victim", B, "copy/v2"))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("does not verify");
    assertThat(oss.client().doesObjectExist(B, AuthRecord.companionKey("copy/v2"))).isFalse();
  }

  @Test
  void unmarkedOrRecordlessSource_isNotCopied() throws Exception {
    writer.putObject(B, "copy/no-record", data(500, 5), null);
    oss.client().deleteObject(B, AuthRecord.companionKey("copy/no-record"));
    assertThatThrownBy(() -> writer.core().copyAuthenticationRecord(B, "copy/no-record", B, "x"))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("no authentication record");

    writer.putObject(B, "copy/unmarked", data(500, 6), null);
    ObjectMetadata head = oss.client().getObjectMetadata(B, "copy/unmarked");
    Map<String, String> user = new LinkedHashMap<>(head.getUserMetadata());
    user.remove(MetadataKeys.AUTH);
    byte[] body = stored("copy/unmarked");
    ObjectMetadata md = new ObjectMetadata();
    user.forEach(md::addUserMetadata);
    md.setContentLength(body.length);
    oss.client().putObject(B, "copy/unmarked", new ByteArrayInputStream(body), md);
    assertThatThrownBy(() -> writer.core().copyAuthenticationRecord(B, "copy/unmarked", B, "y"))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("not marked");
    assertThat(oss.client().doesObjectExist(B, AuthRecord.companionKey("x"))).isFalse();
    assertThat(oss.client().doesObjectExist(B, AuthRecord.companionKey("y"))).isFalse();
  }
}
