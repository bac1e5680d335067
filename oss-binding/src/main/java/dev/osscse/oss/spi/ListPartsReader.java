package dev.osscse.oss.spi;

import dev.osscse.oss.internal.MetadataKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * ListParts with the client-side encryption fields {@code ClientEncryption*} (docs/format.md
 * FMT-24).
 *
 * <p>Part of the storage SPI: {@link ObjectStore#listParts} answers a {@link Listing} of {@link
 * Part}s. aliyun-sdk-oss 3.18.5's {@code PartListing} drops those elements, so its adapter sends
 * the request ({@link Pages}) and its XML is read here; any adapter whose SDK drops them can do the
 * same. Every value is unverified: the caller bounds it (the envelope fields go through {@code
 * EnvelopeCodec}). The XML parser refuses DTDs.
 */
public final class ListPartsReader {
  /** Largest ListParts reply read (1000 parts is about 250 KiB). */
  private static final int MAX_REPLY = 4 << 20;

  /** Largest number of parts an upload can have on OSS. */
  public static final int MAX_PARTS = 10_000;

  private static final String[][] CSE_FIELDS = {
    {"ClientEncryptionKey", MetadataKeys.KEY},
    {"ClientEncryptionStart", MetadataKeys.START},
    {"ClientEncryptionCekAlg", MetadataKeys.CEK_ALG},
    {"ClientEncryptionWrapAlg", MetadataKeys.WRAP_ALG},
    {"ClientEncryptionDataSize", MetadataKeys.DATA_SIZE},
    {"ClientEncryptionPartSize", MetadataKeys.PART_SIZE},
  };

  private ListPartsReader() {}

  /**
   * One uploaded part as listed.
   *
   * @param crc64 the part's {@code HashCrc64ecma}, or null when the reply has none
   */
  public record Part(int number, String etag, long size, Long crc64) {}

  /**
   * The listing of an upload.
   *
   * @param cseUserMetadata the {@code ClientEncryption*} fields as user-metadata keys (without
   *     {@code x-oss-meta-}); empty when the upload is not client-side encrypted
   * @param parts the parts in ascending part-number order
   */
  public record Listing(Map<String, String> cseUserMetadata, List<Part> parts) {}

  /** Lists every part of an upload, following {@code NextPartNumberMarker}. */
  public static Listing read(Pages pages) throws IOException {
    Map<String, String> cse = null;
    List<Part> parts = new ArrayList<>();
    int marker = 0;
    while (true) { // ends: the marker strictly grows and is at most MAX_PARTS
      Document doc = fetch(pages, marker, 1000);
      Element root = doc.getDocumentElement();
      cse = Objects.requireNonNullElse(cse, cseFields(root)); // checks every page
      NodeList nodes = root.getElementsByTagName("Part");
      int last = marker;
      for (int i = 0; i < nodes.getLength(); i++) {
        Element p = (Element) nodes.item(i);
        int number = (int) number(childText(p, "PartNumber"), "PartNumber", MAX_PARTS);
        if (number <= last) {
          throw new IOException("ListParts reply is not in ascending part order");
        }
        last = number;
        String etag = childText(p, "ETag");
        if (etag == null || etag.isEmpty() || etag.length() > 256) {
          throw new IOException("ListParts reply has a part without a valid ETag");
        }
        long size = number(childText(p, "Size"), "Size", 5L << 30);
        String crc = childText(p, "HashCrc64ecma");
        Long crc64 = null;
        if (crc != null && !crc.isBlank()) {
          try {
            crc64 = Long.parseUnsignedLong(crc.trim());
          } catch (NumberFormatException e) {
            throw new IOException("ListParts reply has a malformed HashCrc64ecma", e);
          }
        }
        parts.add(new Part(number, etag.trim(), size, crc64));
        if (parts.size() > MAX_PARTS) {
          throw new IOException("ListParts reply lists more than " + MAX_PARTS + " parts");
        }
      }
      if (!"true".equalsIgnoreCase(String.valueOf(childText(root, "IsTruncated")).trim())) {
        return new Listing(Map.copyOf(cse), List.copyOf(parts));
      }
      int next =
          (int) number(childText(root, "NextPartNumberMarker"), "NextPartNumberMarker", MAX_PARTS);
      if (next <= marker) {
        throw new IOException("ListParts NextPartNumberMarker does not advance");
      }
      marker = next;
    }
  }

  /**
   * The {@code ClientEncryption*} fields of an upload alone (one ListParts page of at most one
   * part), as user-metadata keys; empty when the upload is not client-side encrypted.
   */
  public static Map<String, String> readFields(Pages pages) throws IOException {
    return Map.copyOf(cseFields(fetch(pages, 0, 1).getDocumentElement()));
  }

  private static Map<String, String> cseFields(Element root) throws IOException {
    if (!"ListPartsResult".equals(root.getNodeName())) {
      throw new IOException("ListParts reply is not a ListPartsResult");
    }
    Map<String, String> cse = new LinkedHashMap<>();
    for (String[] f : CSE_FIELDS) {
      String v = childText(root, f[0]);
      if (v != null && !v.isEmpty()) {
        cse.put(f[1], v);
      }
    }
    return cse;
  }

  /** Sends one ListParts request of an upload; the adapter's side of {@link #read}. */
  @FunctionalInterface
  public interface Pages {
    /**
     * The raw XML reply to ListParts from {@code marker} ({@code part-number-marker}, 0 for none),
     * at most {@code maxParts} parts, read up to {@code limit} bytes (more means too large).
     */
    byte[] fetch(int marker, int maxParts, int limit) throws IOException;
  }

  private static Document fetch(Pages pages, int marker, int maxParts) throws IOException {
    byte[] body = pages.fetch(marker, maxParts, MAX_REPLY + 1);
    if (body.length > MAX_REPLY) {
      throw new IOException("ListParts reply is larger than " + MAX_REPLY + " bytes");
    }
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("ListParts reply is not well-formed XML", e);
    }
  }

  private static String childText(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.ELEMENT_NODE && name.equals(n.getNodeName())) {
        return n.getTextContent();
      }
    }
    return null;
  }

  private static long number(String text, String field, long max) throws IOException {
    if (text == null) {
      throw new IOException("ListParts reply lacks " + field);
    }
    String t = text.trim();
    if (t.isEmpty() || t.length() > 12 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IOException("ListParts reply has a malformed " + field);
    }
    long v = Long.parseLong(t);
    if (v > max) {
      throw new IOException("ListParts " + field + " is larger than " + max);
    }
    return v;
  }
}
