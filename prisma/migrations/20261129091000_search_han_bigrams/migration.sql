-- Search in Chinese: trigram indexes cannot serve a two-character query such as 到账 (a trigram needs three),
-- and Chinese words are mostly one or two characters. This indexes every pair of adjacent CJK characters, so
-- such a query finds its rows through the index. Text without CJK characters maps to an empty array quickly.
CREATE FUNCTION inbox_han_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $fn$
  SELECT CASE WHEN t !~ '[一-鿿]' THEN '{}'::text[] ELSE ARRAY(
    SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i
     WHERE substr(t, i, 2) ~ '^[一-鿿]{2}$') END
$fn$;

CREATE INDEX "Message_text_han_idx" ON "Message" USING gin (inbox_han_bigrams("text"));
CREATE INDEX "Contact_displayName_han_idx" ON "Contact" USING gin (inbox_han_bigrams("displayName"));
