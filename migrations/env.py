"""Alembic environment. corridor.store.migrate passes an open connection in
`config.attributes["connection"]`; the developer CLI (`alembic ...`) uses the ini's URL."""

from alembic import context
from sqlalchemy import create_engine

from corridor.db.tables import metadata

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        user_module_prefix="corridor.db.types.",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        run(conn)
