import { create } from 'qrcode';
import { useMemo } from 'react';

/** Returns an SVG path drawing the dark modules of a QR code of `text`, one unit per module, and its size in modules. */
export function qrPath(text: string): { path: string; size: number } {
  // Level M: a plate keeps being read with 15 % of it scratched or dirty.
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const { size } = modules;
  let path = '';
  for (let row = 0; row < size; row++) {
    // Runs of dark modules along the row, one rectangle each.
    for (let col = 0; col < size; col++) {
      if (!modules.get(row, col)) continue;
      let end = col;
      while (end + 1 < size && modules.get(row, end + 1)) end++;
      path += `M${col} ${row}h${end - col + 1}v1h${-(end - col + 1)}z`;
      col = end;
    }
  }
  return { path, size };
}

/** A QR code of `text` as crisp SVG (it prints sharp at any size), with a quiet zone of four modules. */
export function QrCode({ text, className, label }: { text: string; className?: string; label: string }) {
  const { path, size } = useMemo(() => qrPath(text), [text]);
  const quiet = 4;
  return (
    <svg
      className={className}
      viewBox={`${-quiet} ${-quiet} ${size + 2 * quiet} ${size + 2 * quiet}`}
      shapeRendering="crispEdges"
      role="img"
      aria-label={label}
    >
      <rect x={-quiet} y={-quiet} width={size + 2 * quiet} height={size + 2 * quiet} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
