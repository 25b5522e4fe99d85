// Placeholder until the demo lands (issue #4): say so honestly instead of pretending.
console.log('The demo (npm start) arrives with the server package and the WAHA simulator (issue #4).');
console.log('Until then, run the tests: npm test');
