package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SchedulerParallelismTest {

    @Test
    void allCoresButOneAndNeverNone() {
        assertEquals(1, Main.schedulerParallelism(1));
        assertEquals(1, Main.schedulerParallelism(2));
        assertEquals(7, Main.schedulerParallelism(8));
    }

    @Test
    void aValueGivenOnTheCommandLineIsKept() {
        String before = System.getProperty(Main.PARALLELISM);
        try {
            System.setProperty(Main.PARALLELISM, "3");
            Main.pickSchedulerParallelism();
            assertEquals("3", System.getProperty(Main.PARALLELISM));
        } finally {
            if (before == null) {
                System.clearProperty(Main.PARALLELISM);
            } else {
                System.setProperty(Main.PARALLELISM, before);
            }
        }
    }
}
