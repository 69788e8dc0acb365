package dev.tributary.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.reflect.ReflectData;
import org.apache.avro.reflect.ReflectDatumReader;
import org.apache.avro.reflect.ReflectDatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Avro's three Java data models and their readers and writers. */
enum DataModel {
    GENERIC(GenericData.get()),
    SPECIFIC(SpecificData.get()),
    REFLECT(ReflectData.get());

    private final GenericData data;

    DataModel(GenericData data) {
        this.data = data;
    }

    GenericData data() {
        return data;
    }

    /** The model that writes a given datum: generated classes, generic containers, else reflection. */
    static DataModel forDatum(Object datum) {
        if (datum instanceof SpecificRecord) {
            return SPECIFIC;
        }
        return datum instanceof GenericContainer ? GENERIC : REFLECT;
    }

    static DataModel forClass(Class<?> type) {
        return SpecificRecord.class.isAssignableFrom(type) ? SPECIFIC : REFLECT;
    }

    Schema schemaOf(Object datum) {
        if (datum instanceof GenericContainer c) {
            return c.getSchema();
        }
        return ((ReflectData) data).getSchema(datum.getClass());
    }

    @SuppressWarnings("unchecked")
    <T> DatumWriter<T> writer(Schema schema) {
        switch (this) {
            case SPECIFIC:
                return (DatumWriter<T>) new SpecificDatumWriter<>(schema, (SpecificData) data);
            case REFLECT:
                return (DatumWriter<T>) new ReflectDatumWriter<>(schema, (ReflectData) data);
            default:
                return (DatumWriter<T>) new GenericDatumWriter<>(schema, data);
        }
    }

    @SuppressWarnings("unchecked")
    <T> DatumReader<T> reader(Schema writer, Schema reader) {
        switch (this) {
            case SPECIFIC:
                return (DatumReader<T>) new SpecificDatumReader<>(writer, reader, (SpecificData) data);
            case REFLECT:
                return (DatumReader<T>) new ReflectDatumReader<>(writer, reader, (ReflectData) data);
            default:
                return (DatumReader<T>) new GenericDatumReader<>(writer, reader, data);
        }
    }

    /**
     * The reader schema when none is configured: for generated and reflected classes the local class of the
     * writer's record name (so evolution lands in today's class), otherwise the writer schema itself.
     */
    Schema defaultReader(Schema writer) {
        if (this == GENERIC) {
            return writer;
        }
        Class<?> type = ((SpecificData) data).getClass(writer);
        if (type == null
                || type == Object.class
                || (this == SPECIFIC && !SpecificRecord.class.isAssignableFrom(type))) {
            return writer;
        }
        return schemaOfClass(type);
    }

    Schema schemaOfClass(Class<?> type) {
        return ((SpecificData) data).getSchema(type);
    }
}
