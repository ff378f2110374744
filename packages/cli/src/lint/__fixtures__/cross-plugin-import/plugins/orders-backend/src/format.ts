/** Formats one order line. */
export function formatOrder(sku: string, cents: number, version: string): string {
  return `${sku}: ${cents} (billing ${version})`;
}
