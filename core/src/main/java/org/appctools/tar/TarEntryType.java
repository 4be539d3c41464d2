package org.appctools.tar;

/** The kinds of tar entries an ACI can hold. */
public enum TarEntryType {
  FILE,
  DIRECTORY,
  SYMLINK,
  HARDLINK,
  CHAR_DEVICE,
  BLOCK_DEVICE,
  FIFO,
  /** Anything else (GNU sparse, volume headers, contiguous files...); readers reject these. */
  OTHER
}
