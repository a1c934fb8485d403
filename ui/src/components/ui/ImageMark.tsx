import { ImageIcon } from "./icons";

/** A small picture mark before a name: the thing named is an image. `label` is read out. */
export function ImageMark({
  label,
  className,
  testId,
}: {
  label: string;
  className: string;
  testId: string;
}) {
  return (
    <span className={className} role="img" aria-label={label} data-testid={testId}>
      <ImageIcon />
    </span>
  );
}
