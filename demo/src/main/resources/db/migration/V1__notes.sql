-- The demo's one table, migrated by the region-router starter on every region's primary (Flyway per region).
CREATE TABLE notes (
  id         bigserial   PRIMARY KEY,
  subject    text        NOT NULL,
  region     text        NOT NULL,
  body       text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_subject ON notes (subject);
