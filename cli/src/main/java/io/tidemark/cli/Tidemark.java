package io.tidemark.cli;

public final class Tidemark {
    public static void main(String[] args) {}
}
