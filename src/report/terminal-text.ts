// Text laid out for a terminal: words wrapped to a width.

/** Words wrapped to a width, continuation lines indented. */
export function wrapText(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let current = first;
  let fresh = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!fresh && current.length + 1 + word.length > width) {
      lines.push(current);
      current = rest + word;
    } else current = fresh ? current + word : `${current} ${word}`;
    fresh = false;
  }
  if (!fresh) lines.push(current);
  return lines;
}
