from __future__ import annotations

from advisor.cost.design import IndexDesign
from advisor.cost.models import TableModel, model_index
from advisor.cost.workload import cost_shape
from advisor.spec.model import IndexKey
from tests.cost.conftest import update_status

PK = IndexDesign("orders", (IndexKey("order_id"),), unique=True, name="orders_pkey", origin="primary_key")
ON_USER = IndexDesign("orders", (IndexKey("user_id"),), name="ix_user", origin="declared")
ON_STATUS = IndexDesign("orders", (IndexKey("status"),))


def test_postgres_hot_update_maintains_no_index_until_one_holds_the_column(orders_pg: TableModel) -> None:
    models = {"orders": orders_pg}
    base = [model_index(orders_pg, d) for d in (PK, ON_USER)]
    hot = cost_shape(models, update_status(), {"orders": base})
    assert hot.write == 1  # one row, heap only
    cold = cost_shape(models, update_status(), {"orders": [*base, model_index(orders_pg, ON_STATUS)]})
    assert cold.write == 4  # heap + all three indexes: no longer HOT


def test_mysql_update_maintains_only_indexes_on_changed_columns(orders_mysql: TableModel) -> None:
    models = {"orders": orders_mysql}
    config = {"orders": [model_index(orders_mysql, d) for d in (PK, ON_USER, ON_STATUS)]}
    assert cost_shape(models, update_status(), config).write == 2  # row + the status index
