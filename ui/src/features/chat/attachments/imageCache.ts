/**
 * Stored images as data URLs, fetched once per SHA-256 for the window's lifetime: the same
 * image shows in the composer, the transcript and the large view.
 */
import { useEffect, useState } from "react";
import * as ipc from "../../../ipc";

const cache = new Map<string, Promise<string | null>>();

/** Only an image data URL may become an `<img src>`: anything else is refused. */
function safeImageUrl(url: string): string | null {
  return /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(url) ? url : null;
}

function load(sha256: string): Promise<string | null> {
  let entry = cache.get(sha256);
  if (!entry) {
    entry = ipc.imageDataUrl(sha256).then(safeImageUrl, () => {
      // Not kept: the next look tries again.
      cache.delete(sha256);
      return null;
    });
    cache.set(sha256, entry);
  }
  return entry;
}

/** The image's data URL; undefined while loading, null when it cannot be shown. */
export function useImageDataUrl(sha256: string): string | null | undefined {
  const [url, setUrl] = useState<{ sha256: string; url: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    void load(sha256).then((loaded) => live && setUrl({ sha256, url: loaded }));
    return () => {
      live = false;
    };
  }, [sha256]);
  return url?.sha256 === sha256 ? url.url : undefined;
}

/** For tests: starts from an empty cache. */
export function forgetImages(): void {
  cache.clear();
}
