/**
 * A tiny PNG made here, so the fake cores have real images to show without shipping any:
 * an uncompressed (stored) zlib stream inside a valid PNG, a soft diagonal gradient.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

function chunk(type: string, data: number[]): number[] {
  const body = new Uint8Array([...type].map((c) => c.charCodeAt(0)).concat(data));
  return [...u32(data.length), ...body, ...u32(crc32(body))];
}

/** A `width` × `height` PNG shading from one colour to another. */
export function tinyPngDataUrl(
  width: number,
  height: number,
  from: [number, number, number],
  to: [number, number, number],
): string {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0); // no filter
    for (let x = 0; x < width; x++) {
      const f = (x + y) / (width + height - 2 || 1);
      for (let c = 0; c < 3; c++) rows.push(Math.round(from[c]! + (to[c]! - from[c]!) * f));
    }
  }
  const raw = new Uint8Array(rows);
  // Stored deflate blocks of at most 65,535 bytes each; the last one is marked final.
  const zlib = [0x78, 0x01];
  for (let at = 0; at < raw.length || at === 0; at += 65_535) {
    const block = raw.subarray(at, at + 65_535);
    const len = block.length;
    const final = at + 65_535 >= raw.length ? 1 : 0;
    zlib.push(final, len & 255, len >>> 8, ~len & 255, (~len >>> 8) & 255, ...block);
  }
  zlib.push(...u32(adler32(raw)));
  const header = [...u32(width), ...u32(height), 8, 2, 0, 0, 0];
  const png = [
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk("IHDR", header),
    ...chunk("IDAT", zlib),
    ...chunk("IEND", []),
  ];
  let binary = "";
  for (const byte of png) binary += String.fromCharCode(byte);
  return `data:image/png;base64,${btoa(binary)}`;
}
