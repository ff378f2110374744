// Runs example.test.js against the built package. Needs the `jest` devDependency.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.test.js'],
  testEnvironment: 'node',
};
