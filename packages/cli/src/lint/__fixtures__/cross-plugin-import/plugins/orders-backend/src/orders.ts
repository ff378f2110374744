import type { Price } from '../../billing-backend/src/prices';
import { listPrices } from '../../billing-backend/src/prices';
import { formatOrder } from './format';

const billing = require('@internal/plugin-billing-backend') as { version: string };

/** Lists the orders with their prices. */
export function listOrders(): string[] {
  const prices: Price[] = listPrices();
  return prices.map(price => formatOrder(price.sku, price.cents, billing.version));
}
