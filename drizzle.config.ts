// drizzle-kit: generates SQL migrations from src/storage/schema.ts into migrations/ (applied by wrangler).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
	dialect: "sqlite",
	schema: "./src/storage/schema.ts",
	out: "./migrations",
});
