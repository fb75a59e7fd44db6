-- Tenants get a slug (SPEC §1): made from the name as src/domain/slug.ts does (lowercase, each run of other
-- characters one hyphen, at most 50 characters, "tenant" when nothing is left), the oldest tenant keeps the
-- plain slug and later ones with the same get -2, -3, ... Accents are not folded here (no unaccent extension
-- is assumed); an admin can change any slug with PATCH /tenant.
ALTER TABLE "tenants" ADD COLUMN     "slug" TEXT;

DO $$
DECLARE
  t RECORD;
  base TEXT;
  candidate TEXT;
  n INTEGER;
BEGIN
  FOR t IN SELECT id, name FROM "tenants" ORDER BY created_at, id LOOP
    base := trim(both '-' from left(trim(both '-' from regexp_replace(lower(t.name), '[^a-z0-9]+', '-', 'g')), 50));
    IF length(base) < 2 THEN base := 'tenant'; END IF;
    candidate := base;
    n := 1;
    WHILE EXISTS (SELECT 1 FROM "tenants" WHERE slug = candidate) LOOP
      n := n + 1;
      candidate := base || '-' || n;
    END LOOP;
    UPDATE "tenants" SET slug = candidate WHERE id = t.id;
  END LOOP;
END $$;

ALTER TABLE "tenants" ALTER COLUMN "slug" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");
