package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PartListing;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.UploadPartResult;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartTest {
  @TempDir Path dir;
  TestBed bed;
  LocalOssServer server;
  OSS client;

  @BeforeEach
  void start() {
    bed = TestBed.start(dir, b -> b);
    server = bed.server();
    client = bed.client();
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  static String initiate(OSS client, String key, Map<String, String> userMeta) {
    ObjectMetadata m = new ObjectMetadata();
    userMeta.forEach(m::addUserMetadata);
    return client
        .initiateMultipartUpload(new InitiateMultipartUploadRequest("bkt", key, m))
        .getUploadId();
  }

  static PartETag upload(OSS client, String key, String id, int n, byte[] data, int from, int len) {
    UploadPartRequest r =
        new UploadPartRequest("bkt", key, id, n, new ByteArrayInputStream(data, from, len), len);
    UploadPartResult res = client.uploadPart(r);
    return res.getPartETag();
  }

  @Test
  void multipart_outOfOrderParts_completeReassemblesWithCombinedCrc() throws Exception {
    int part = 100 * 1024;
    byte[] data = ObjectRoundTripTest.bytes(part * 2 + 777, 11);
    String id = initiate(client, "mp.bin", Map.of("x", "y"));
    List<PartETag> tags = new ArrayList<>();
    tags.add(upload(client, "mp.bin", id, 3, data, 2 * part, 777));
    tags.add(upload(client, "mp.bin", id, 1, data, 0, part));
    tags.add(upload(client, "mp.bin", id, 2, data, part, part));
    tags.sort((a, b) -> Integer.compare(a.getPartNumber(), b.getPartNumber()));
    // The SDK compares the Complete CRC header against the combination of the part CRCs.
    CompleteMultipartUploadResult done =
        client.completeMultipartUpload(
            new CompleteMultipartUploadRequest("bkt", "mp.bin", id, tags));
    assertThat(done.getETag()).endsWith("-3");
    assertThat(done.getServerCRC()).isNotNull();
    var got = client.getObject("bkt", "mp.bin");
    assertThat(ObjectRoundTripTest.readAll(got)).isEqualTo(data);
    assertThat(got.getObjectMetadata().getUserMetadata()).containsEntry("x", "y");
    assertThat(got.getObjectMetadata().getObjectType()).isEqualTo("Multipart");
    assertThat(got.getServerCRC()).isEqualTo(done.getServerCRC());
    assertThatThrownBy(() -> client.listParts(new ListPartsRequest("bkt", "mp.bin", id)))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchUpload"));
  }

  @Test
  void complete_smallNonLastPart_entityTooSmall() {
    String id = initiate(client, "small", Map.of());
    List<PartETag> tags =
        List.of(
            upload(client, "small", id, 1, new byte[100], 0, 100),
            upload(client, "small", id, 2, new byte[100], 0, 100));
    assertThatThrownBy(
            () ->
                client.completeMultipartUpload(
                    new CompleteMultipartUploadRequest("bkt", "small", id, new ArrayList<>(tags))))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("EntityTooSmall"));
  }

  @Test
  void complete_wrongEtag_invalidPart() {
    String id = initiate(client, "k", Map.of());
    upload(client, "k", id, 1, new byte[10], 0, 10);
    List<PartETag> tags =
        new ArrayList<>(List.of(new PartETag(1, "00000000000000000000000000000000")));
    assertThatThrownBy(
            () ->
                client.completeMultipartUpload(
                    new CompleteMultipartUploadRequest("bkt", "k", id, tags)))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidPart"));
  }

  @Test
  void abort_thenUploadPart_noSuchUpload() {
    String id = initiate(client, "k", Map.of());
    upload(client, "k", id, 1, new byte[10], 0, 10);
    client.abortMultipartUpload(new AbortMultipartUploadRequest("bkt", "k", id));
    assertThatThrownBy(() -> upload(client, "k", id, 2, new byte[10], 0, 10))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchUpload"));
    assertThat(client.doesObjectExist("bkt", "k")).isFalse();
  }

  @Test
  void listParts_pagingAndSizes() {
    String id = initiate(client, "k", Map.of());
    for (int n = 1; n <= 5; n++) {
      upload(client, "k", id, n, new byte[n * 10], 0, n * 10);
    }
    ListPartsRequest r = new ListPartsRequest("bkt", "k", id);
    r.setMaxParts(2);
    PartListing first = client.listParts(r);
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.getParts()).extracting(p -> p.getSize()).containsExactly(10L, 20L);
    r.setPartNumberMarker(first.getNextPartNumberMarker());
    r.setMaxParts(10);
    PartListing rest = client.listParts(r);
    assertThat(rest.isTruncated()).isFalse();
    assertThat(rest.getParts()).extracting(p -> p.getPartNumber()).containsExactly(3, 4, 5);
    assertThat(
            client
                .listMultipartUploads(new com.aliyun.oss.model.ListMultipartUploadsRequest("bkt"))
                .getMultipartUploads())
        .extracting(u -> u.getUploadId())
        .containsExactly(id);
  }

  @Test
  void listParts_cseUpload_returnsClientEncryptionFields() throws Exception {
    String id =
        initiate(
            client,
            "cse",
            Map.of(
                "client-side-encryption-key", "a2V5",
                "client-side-encryption-start", "c3RhcnQ=",
                "client-side-encryption-cek-alg", "AES/CTR/NoPadding",
                "client-side-encryption-wrap-alg", "RSA/NONE/PKCS1Padding",
                "client-side-encryption-data-size", String.valueOf(100 * 1024 + 5),
                "client-side-encryption-part-size", String.valueOf(100 * 1024)));
    byte[] data = ObjectRoundTripTest.bytes(100 * 1024 + 5, 5);
    upload(client, "cse", id, 1, data, 0, 100 * 1024);
    RawOss raw = new RawOss(server.endpoint(), "ak", "sk");
    try {
      RawOss.Reply r = raw.get("/bkt/cse?uploadId=" + id, "/bkt/cse?uploadId=" + id, Map.of());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body())
          .contains("<ClientEncryptionKey>a2V5</ClientEncryptionKey>")
          .contains("<ClientEncryptionStart>c3RhcnQ=</ClientEncryptionStart>")
          .contains("<ClientEncryptionCekAlg>AES/CTR/NoPadding</ClientEncryptionCekAlg>")
          .contains("<ClientEncryptionWrapAlg>RSA/NONE/PKCS1Padding</ClientEncryptionWrapAlg>")
          .contains("<ClientEncryptionDataSize>102405</ClientEncryptionDataSize>")
          .contains("<ClientEncryptionPartSize>102400</ClientEncryptionPartSize>");
    } finally {
      raw.close();
    }
    List<PartETag> tags =
        new ArrayList<>(
            client.listParts(new ListPartsRequest("bkt", "cse", id)).getParts().stream()
                .map(p -> new PartETag(p.getPartNumber(), p.getETag()))
                .toList());
    tags.add(upload(client, "cse", id, 2, data, 100 * 1024, 5));
    client.completeMultipartUpload(new CompleteMultipartUploadRequest("bkt", "cse", id, tags));
    var got = client.getObject("bkt", "cse");
    assertThat(ObjectRoundTripTest.readAll(got)).isEqualTo(data);
    assertThat(got.getObjectMetadata().getUserMetadata())
        .containsEntry("client-side-encryption-part-size", "102400");
    assertThat(Arrays.equals(data, data)).isTrue();
  }

  @Test
  void parallelUploadParts_completeInOrder_reassembles() throws Exception {
    int part = 100 * 1024;
    int count = 12;
    byte[] data = ObjectRoundTripTest.bytes(part * count - 1000, 21);
    String id = initiate(client, "par", Map.of());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(6);
    List<java.util.concurrent.Future<PartETag>> futures = new ArrayList<>();
    try {
      for (int n = count; n >= 1; n--) {
        final int pn = n;
        int from = (pn - 1) * part;
        int len = Math.min(part, data.length - from);
        futures.add(pool.submit(() -> upload(client, "par", id, pn, data, from, len)));
      }
      List<PartETag> tags = new ArrayList<>();
      for (var f : futures) {
        tags.add(f.get());
      }
      tags.sort((a, b) -> Integer.compare(a.getPartNumber(), b.getPartNumber()));
      client.completeMultipartUpload(new CompleteMultipartUploadRequest("bkt", "par", id, tags));
    } finally {
      pool.shutdown();
    }
    assertThat(ObjectRoundTripTest.readAll(client.getObject("bkt", "par"))).isEqualTo(data);
  }
}
