package org.warder.client.bundle.iocage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.warder.client.bundle.BadBundleException;

/**
 * The members of an iocage export zip, each with the dataset it is received as, in an order zfs
 * receive can follow: the jail directory first, then its children, parents before their children.
 * Checked whole before anything is received: every member named as iocage names them ({@link
 * IocageImage#dataset}), readable, one per dataset, with the jail directory and its root present.
 * Stateless.
 */
final class IocageMembers {
  /**
   * One zfs send stream and the dataset (relative to the jail's; "" for the jail directory) it
   * becomes.
   */
  record Member(ZipArchiveEntry entry, String dataset) {}

  private IocageMembers() {}

  static List<Member> of(ZipFile zip, IocageImage image) throws BadBundleException {
    Map<String, ZipArchiveEntry> byDataset = new LinkedHashMap<>();
    for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
      String dataset = image.dataset(entry.getName());
      ZipArchiveEntry other = byDataset.put(dataset, entry);
      if (other != null) {
        throw new BadBundleException(
            "expected one member for "
                + (dataset.isEmpty() ? "the jail directory " + image.base() : "dataset " + dataset)
                + ", found two: \""
                + other.getName()
                + "\" and \""
                + entry.getName()
                + "\"; iocage writes one; the zip was altered or assembled by hand; nothing was imported");
      }
      if (!zip.canReadEntryData(entry)) {
        throw new BadBundleException(
            "member "
                + entry.getName()
                + " is stored with compression method "
                + entry.getMethod()
                + (entry.getGeneralPurposeBit().usesEncryption() ? " and encrypted" : "")
                + ", which warder does not read; iocage writes deflate (8) without encryption; nothing was imported");
      }
    }
    if (!byDataset.containsKey("")) {
      throw new BadBundleException(
          "expected a member "
              + image.base()
              + " (the jail directory's stream, with its"
              + " config.json), found "
              + names(byDataset)
              + "; the zip is not a whole iocage export; nothing was imported");
    }
    if (!byDataset.containsKey("root")) {
      throw new BadBundleException(
          "expected a member "
              + image.base()
              + "_root (the jail's root), found "
              + names(byDataset)
              + "; the zip is not a whole iocage export; nothing was imported");
    }
    List<Member> members = new ArrayList<>();
    byDataset.forEach((dataset, entry) -> members.add(new Member(entry, dataset)));
    members.sort(
        Comparator.comparingInt(
                (Member m) -> m.dataset().isEmpty() ? 0 : m.dataset().split("/").length)
            .thenComparing(Member::dataset));
    return List.copyOf(members);
  }

  private static String names(Map<String, ZipArchiveEntry> byDataset) {
    return byDataset.isEmpty()
        ? "no member at all"
        : "only "
            + String.join(", ", byDataset.values().stream().map(ZipArchiveEntry::getName).toList());
  }
}
