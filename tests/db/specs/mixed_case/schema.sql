-- Names PostgreSQL keeps as spelled because they were declared quoted: capitals and a space.
CREATE TABLE "Customers" (
  "Id" bigint PRIMARY KEY,
  "Email" varchar(200) NOT NULL,
  region varchar(20) NOT NULL
);

CREATE TABLE "Orders" (
  "Id" bigint PRIMARY KEY,
  "Customer Id" bigint NOT NULL REFERENCES "Customers" ("Id"),
  "createdAt" timestamp NOT NULL,
  "Status" varchar(20) NOT NULL,
  total numeric(10, 2)
);

CREATE INDEX "Orders_ByStatus" ON "Orders" ("Status");
