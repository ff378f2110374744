// A plugin's first migration, as plugins ship them: plain CommonJS run by knex.migrate.latest().
exports.up = async function up(knex) {
  await knex.schema.createTable('lists', table => {
    table.increments('id');
    table.string('name', 100).notNullable().unique();
  });
  await knex.schema.createTable('items', table => {
    table.increments('id');
    table
      .integer('list_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('lists')
      .onDelete('CASCADE');
    table.string('title', 200).notNullable();
  });
};

exports.down = async function down(knex) {
  await knex.schema.dropTable('items');
  await knex.schema.dropTable('lists');
};
