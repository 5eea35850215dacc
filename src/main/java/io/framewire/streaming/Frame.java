package io.framewire.streaming;

/**
 * One complete binary message of a session, numbered in arrival order from 0.
 *
 * @param bytes the JPEG bytes; never copied after aggregation, never modified
 */
public record Frame(long index, byte[] bytes) implements Inbound {}
