/** A price in cents. */
export interface Price {
  sku: string;
  cents: number;
}

/** The price list of the billing plugin. */
export function listPrices(): Price[] {
  return [{ sku: 'basic', cents: 100 }];
}
