create table note (
  id bigserial primary key,
  owner text not null,
  body text not null
);
