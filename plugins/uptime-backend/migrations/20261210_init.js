// @ts-check

/**
 * The watched URLs and the results of their checks.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // MySQL wants the default of a TIMESTAMP(3) at the same precision; SQLite has no precision.
  const now = knex.client.dialect === 'sqlite3' ? knex.fn.now() : knex.fn.now(3);

  await knex.schema.createTable('uptime_targets', table => {
    table.increments('id');
    // 500 characters keep the unique index within MySQL's 3072-byte key limit in utf8mb4.
    table.string('url', 500).notNullable().unique();
    table.string('name', 100).notNullable();
    table.string('created_by').notNullable();
    // An explicit default keeps MariaDB from adding ON UPDATE CURRENT_TIMESTAMP to this column.
    table.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
    table.timestamp('last_checked_at', { precision: 3 }).nullable();
  });

  await knex.schema.createTable('uptime_results', table => {
    table.increments('id');
    table
      .integer('target_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('uptime_targets')
      .onDelete('CASCADE');
    table.timestamp('checked_at', { precision: 3 }).notNullable();
    table.string('status', 10).notNullable();
    table.integer('status_code').nullable();
    table.integer('latency_ms').nullable();
    table.string('error', 500).nullable();
    table.index(['target_id', 'checked_at'], 'uptime_results_target_checked_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('uptime_results');
  await knex.schema.dropTable('uptime_targets');
};
