module.exports = {
  testMatch: ['**/jest/**/*.test.js'],
  reporters: ['default', ['jest-ctrf-json-reporter', { outputFile: 'jest-ctrf.json', outputDir: '.', appName: 'calc', appVersion: '1.2.3', buildName: 'ci', buildNumber: '42', osPlatform: 'linux' }]],
};
