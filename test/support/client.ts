/** The tests' WebSocket client is the fixture runner's. */
export * from '../../src/fixtures/socket.js';
