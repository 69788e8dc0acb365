package dev.tributary.serde.testdata;

import java.util.Objects;

/** A plain Java object for the reflect round trips: Avro derives its schema from the fields. */
public class Sensor {
    private String id;
    private double reading;
    private long timestamp;

    public Sensor() {}

    public Sensor(String id, double reading, long timestamp) {
        this.id = id;
        this.reading = reading;
        this.timestamp = timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sensor s && s.id.equals(id) && s.reading == reading && s.timestamp == timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, reading, timestamp);
    }

    @Override
    public String toString() {
        return "Sensor{" + id + ", " + reading + ", " + timestamp + "}";
    }
}
