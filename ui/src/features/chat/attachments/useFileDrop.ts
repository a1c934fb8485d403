import { useEffect, useRef, useState } from "react";
import * as ipc from "../../../ipc";

/**
 * Files dropped anywhere on the window are attached (`onDrop` gets their paths); true
 * while files are dragged over it, for the composer to show where they go.
 */
export function useFileDrop(onDrop: (paths: string[]) => void): boolean {
  const [over, setOver] = useState(false);
  const latest = useRef(onDrop);
  useEffect(() => {
    latest.current = onDrop;
  }, [onDrop]);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let live = true;
    void ipc
      .onFileDrag((drag) => {
        setOver(drag.kind === "over");
        if (drag.kind === "drop" && drag.paths.length > 0) latest.current(drag.paths);
      })
      .then((unlisten) => {
        if (live) stop = unlisten;
        else unlisten();
      });
    return () => {
      live = false;
      stop?.();
    };
  }, []);
  return over;
}
