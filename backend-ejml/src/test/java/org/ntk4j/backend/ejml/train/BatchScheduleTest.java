package org.ntk4j.backend.ejml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.train.BatchSchedule;

/** Seeded batches. */
class BatchScheduleTest {

    @Test
    @DisplayName("every epoch visits every sample once, in a new order; the last batch is the remainder")
    void epochsArePermutations() {
        BatchSchedule s = new BatchSchedule(10, 4, 7, 0, 0);
        assertEquals(3, s.batchesPerEpoch());
        int[][] epochs = new int[2][];
        for (int e = 0; e < 2; e++) {
            List<Integer> seen = new ArrayList<>();
            int[] sizes = new int[3];
            for (int b = 0; b < 3; b++) {
                int[] batch = s.next();
                sizes[b] = batch.length;
                Arrays.stream(batch).forEach(seen::add);
            }
            assertArrayEquals(new int[] {4, 4, 2}, sizes);
            epochs[e] = seen.stream().mapToInt(Integer::intValue).toArray();
            int[] sorted = epochs[e].clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        }
        assertEquals(false, Arrays.equals(epochs[0], epochs[1]), "a new order each epoch");
    }

    @Test
    @DisplayName("a schedule started at (epoch, batch) continues exactly like one that got there")
    void resumable() {
        BatchSchedule a = new BatchSchedule(23, 5, 11, 0, 0);
        for (int i = 0; i < 7; i++) {
            a.next();
        }
        BatchSchedule b = new BatchSchedule(23, 5, 11, a.epoch(), a.batch());
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(a.next(), b.next());
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchSchedule(23, 5, 11, 0, 5));
    }
}
