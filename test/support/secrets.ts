// Test-only secrets, fed to the Worker as bindings by vitest.config.ts (the TikTok one is the fixtures').
export const TEST_TIKTOK_APP_SECRET = "fixture-tiktok-app-secret-not-real";
export const TEST_ADMIN_TOKEN = "test-admin-token";
/** 32 bytes, base64: the AES-GCM key that seals stored tokens in tests. */
export const TEST_ENCRYPTION_KEY = "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0hISE=";
/** The Meta fixtures' app secret and the manifest's handshake verify token. */
export const TEST_META_APP_SECRET = "fixture-meta-app-secret-not-real";
export const TEST_META_VERIFY_TOKEN = "fixture-verify-token";
/** Signs company_id in webhook URLs; passed per test through fetchWithEnv (off by default). */
export const TEST_WEBHOOK_SIGNING_KEY = "test-webhook-url-signing-key";
