// Test-only secrets, fed to the Worker as bindings by vitest.config.ts (the TikTok one is the fixtures').
export const TEST_TIKTOK_APP_SECRET = "fixture-tiktok-app-secret-not-real";
export const TEST_ADMIN_TOKEN = "test-admin-token";
/** 32 bytes, base64: the AES-GCM key that seals stored tokens in tests. */
export const TEST_ENCRYPTION_KEY = "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE=";
/** Signs company_id in webhook URLs; passed per test through fetchWithEnv (off by default). */
export const TEST_WEBHOOK_SIGNING_KEY = "test-webhook-url-signing-key";
