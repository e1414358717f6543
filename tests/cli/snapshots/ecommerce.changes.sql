-- advisor: recommended index changes for patterns.yaml (postgres)
-- CONCURRENTLY cannot run inside a transaction block: run these statements one by one.

-- recommended indexes
-- #1 COV001, IDX001, IDX002, IDX003: orders (user_id, created_at DESC) INCLUDE (order_id, status, total_amount)
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_user_id_created_at ON orders(user_id, created_at DESC) INCLUDE (order_id, status, total_amount);

-- #2 IDX001, IDX003: order_items (order_id)
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_order_items_order_id ON order_items(order_id);

-- #3 COV001, IDX002, PAR001: orders (created_at) INCLUDE (order_id, status, user_id) WHERE status IN ('pending', 'processing')
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_created_at_partial_594a3305 ON orders(created_at) INCLUDE (order_id, status, user_id) WHERE status IN ('pending', 'processing');

-- #4 IDX001, IDX003: order_items (product_id)
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_order_items_product_id ON order_items(product_id);

-- #5 IDX002: products (category_id, price)
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_products_category_id_price ON products(category_id, price);

-- #6 COV001, IDX001, PAR001: orders (created_at) INCLUDE (order_id, status, total_amount, user_id) WHERE status = 'pending'
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_created_at_partial_6de35dce ON orders(created_at) INCLUDE (order_id, status, total_amount, user_id) WHERE status = 'pending';

-- #7 IDX006: orders (user_id)
DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user_id;
