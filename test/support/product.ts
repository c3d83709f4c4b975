/**
 * The product as tests run it: composed by src/server/compose.ts exactly as src/main.ts composes it, then
 * listening on the configured host and port (port 0 in tests). If listening fails, what was started stops.
 */
import type { Config } from "../../src/config.ts";
import { composeProduct, type Product, type ProductOptions } from "../../src/server/compose.ts";

export async function listenProduct(config: Config, options: ProductOptions = {}): Promise<Product> {
  const product = await composeProduct(config, options);
  try {
    await product.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await product.stop();
    throw error;
  }
  return product;
}
