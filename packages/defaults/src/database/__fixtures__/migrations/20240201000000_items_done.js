// A later migration that changes an existing table.
exports.up = async function up(knex) {
  await knex.schema.alterTable('items', table => {
    table.boolean('done').notNullable().defaultTo(false);
  });
};

exports.down = async function down(knex) {
  await knex.schema.alterTable('items', table => {
    table.dropColumn('done');
  });
};
