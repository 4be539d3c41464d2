package org.appctools.tar;

import java.util.Map;

/**
 * One entry read from a tar stream.
 *
 * @param rawName the name as stored
 * @param name the name cleaned like {@code filepath.Clean} (no {@code ./} prefix, no trailing
 *     slash); meaningful only when {@code nameProblem} is null
 * @param nameProblem why the raw name is unsafe, or null
 * @param type the entry kind
 * @param mode permission bits including setuid, setgid and sticky
 * @param uid numeric owner
 * @param gid numeric group
 * @param mtime seconds since the epoch
 * @param size content size (0 for everything but regular files)
 * @param linkName the raw link target for symlinks and hard links, else empty
 * @param devMajor device major number
 * @param devMinor device minor number
 * @param xattrs extended attributes, raw values
 */
public record TarItem(
    String rawName,
    String name,
    TarNames.Problem nameProblem,
    TarEntryType type,
    int mode,
    long uid,
    long gid,
    long mtime,
    long size,
    String linkName,
    int devMajor,
    int devMinor,
    Map<String, byte[]> xattrs) {}
