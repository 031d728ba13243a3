-- Demo data for local development (`npm run dev`): one company with two reps, so a newcomer can post a
-- lead at once. Idempotent: safe to apply on every start.
INSERT OR IGNORE INTO companies (id, name, auto_assign, default_country)
VALUES (1, 'Demo Dental Clinic', 1, 'AE');
INSERT OR IGNORE INTO employees (id, company_id, name, email, is_active)
VALUES (1, 1, 'Demo Rep Ana', 'ana@demo.invalid', 1),
       (2, 1, 'Demo Rep Ben', 'ben@demo.invalid', 1);
